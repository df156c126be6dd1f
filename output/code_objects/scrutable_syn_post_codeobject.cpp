#include "code_objects/scrutable_syn_post_codeobject.h"
#include "objects.h"
#include "brianlib/common_math.h"
#include "brianlib/stdint_compat.h"
#include<cmath>
#include<ctime>
#include<iostream>
#include<fstream>
#include<climits>
#include "brianlib/stdint_compat.h"
#include "synapses_classes.h"

////// SUPPORT CODE ///////
namespace {
        
    template <typename T>
    static inline T _clip(const T value, const double a_min, const double a_max)
    {
        if (value < a_min)
            return a_min;
        if (value > a_max)
            return a_max;
        return value;
    }
    template < typename T1, typename T2 > struct _higher_type;
    template < > struct _higher_type<int32_t,int32_t> { typedef int32_t type; };
    template < > struct _higher_type<int32_t,int64_t> { typedef int64_t type; };
    template < > struct _higher_type<int32_t,float> { typedef float type; };
    template < > struct _higher_type<int32_t,double> { typedef double type; };
    template < > struct _higher_type<int32_t,long double> { typedef long double type; };
    template < > struct _higher_type<int64_t,int32_t> { typedef int64_t type; };
    template < > struct _higher_type<int64_t,int64_t> { typedef int64_t type; };
    template < > struct _higher_type<int64_t,float> { typedef float type; };
    template < > struct _higher_type<int64_t,double> { typedef double type; };
    template < > struct _higher_type<int64_t,long double> { typedef long double type; };
    template < > struct _higher_type<float,int32_t> { typedef float type; };
    template < > struct _higher_type<float,int64_t> { typedef float type; };
    template < > struct _higher_type<float,float> { typedef float type; };
    template < > struct _higher_type<float,double> { typedef double type; };
    template < > struct _higher_type<float,long double> { typedef long double type; };
    template < > struct _higher_type<double,int32_t> { typedef double type; };
    template < > struct _higher_type<double,int64_t> { typedef double type; };
    template < > struct _higher_type<double,float> { typedef double type; };
    template < > struct _higher_type<double,double> { typedef double type; };
    template < > struct _higher_type<double,long double> { typedef long double type; };
    template < > struct _higher_type<long double,int32_t> { typedef long double type; };
    template < > struct _higher_type<long double,int64_t> { typedef long double type; };
    template < > struct _higher_type<long double,float> { typedef long double type; };
    template < > struct _higher_type<long double,double> { typedef long double type; };
    template < > struct _higher_type<long double,long double> { typedef long double type; };
    // General template, used for floating point types
    template < typename T1, typename T2 >
    static inline typename _higher_type<T1,T2>::type
    _brian_mod(T1 x, T2 y)
    {
        return x-y*floor(1.0*x/y);
    }
    // Specific implementations for integer types
    // (from Cython, see LICENSE file)
    template <>
    inline int32_t _brian_mod(int32_t x, int32_t y)
    {
        int32_t r = x % y;
        r += ((r != 0) & ((r ^ y) < 0)) * y;
        return r;
    }
    template <>
    inline int64_t _brian_mod(int32_t x, int64_t y)
    {
        int64_t r = x % y;
        r += ((r != 0) & ((r ^ y) < 0)) * y;
        return r;
    }
    template <>
    inline int64_t _brian_mod(int64_t x, int32_t y)
    {
        int64_t r = x % y;
        r += ((r != 0) & ((r ^ y) < 0)) * y;
        return r;
    }
    template <>
    inline int64_t _brian_mod(int64_t x, int64_t y)
    {
        int64_t r = x % y;
        r += ((r != 0) & ((r ^ y) < 0)) * y;
        return r;
    }
    // General implementation, used for floating point types
    template < typename T1, typename T2 >
    static inline typename _higher_type<T1,T2>::type
    _brian_floordiv(T1 x, T2 y)
    {{
        return floor(1.0*x/y);
    }}
    // Specific implementations for integer types
    // (from Cython, see LICENSE file)
    template <>
    inline int32_t _brian_floordiv<int32_t, int32_t>(int32_t a, int32_t b) {
        int32_t q = a / b;
        int32_t r = a - q*b;
        q -= ((r != 0) & ((r ^ b) < 0));
        return q;
    }
    template <>
    inline int64_t _brian_floordiv<int32_t, int64_t>(int32_t a, int64_t b) {
        int64_t q = a / b;
        int64_t r = a - q*b;
        q -= ((r != 0) & ((r ^ b) < 0));
        return q;
    }
    template <>
    inline int64_t _brian_floordiv<int64_t, int>(int64_t a, int32_t b) {
        int64_t q = a / b;
        int64_t r = a - q*b;
        q -= ((r != 0) & ((r ^ b) < 0));
        return q;
    }
    template <>
    inline int64_t _brian_floordiv<int64_t, int64_t>(int64_t a, int64_t b) {
        int64_t q = a / b;
        int64_t r = a - q*b;
        q -= ((r != 0) & ((r ^ b) < 0));
        return q;
    }
    #ifdef _MSC_VER
    #define _brian_pow(x, y) (pow((double)(x), (y)))
    #else
    #define _brian_pow(x, y) (pow((x), (y)))
    #endif

}

////// HASH DEFINES ///////



void _run_scrutable_syn_post_codeobject()
{
    using namespace brian;


    ///// CONSTANTS ///////////
    int32_t* const _array_scrutable_syn__synaptic_pre = _dynamic_array_scrutable_syn__synaptic_pre.empty()? 0 : &_dynamic_array_scrutable_syn__synaptic_pre[0];
const size_t _num_synaptic_pre = _dynamic_array_scrutable_syn__synaptic_pre.size();
double* const _array_scrutable_syn_apost1 = _dynamic_array_scrutable_syn_apost1.empty()? 0 : &_dynamic_array_scrutable_syn_apost1[0];
const size_t _numapost1 = _dynamic_array_scrutable_syn_apost1.size();
double* const _array_scrutable_syn_apost2 = _dynamic_array_scrutable_syn_apost2.empty()? 0 : &_dynamic_array_scrutable_syn_apost2[0];
const size_t _numapost2 = _dynamic_array_scrutable_syn_apost2.size();
double* const _array_scrutable_syn_apre = _dynamic_array_scrutable_syn_apre.empty()? 0 : &_dynamic_array_scrutable_syn_apre[0];
const size_t _numapre = _dynamic_array_scrutable_syn_apre.size();
double* const _array_scrutable_syn_lastupdate = _dynamic_array_scrutable_syn_lastupdate.empty()? 0 : &_dynamic_array_scrutable_syn_lastupdate[0];
const size_t _numlastupdate = _dynamic_array_scrutable_syn_lastupdate.size();
const double nu_post = 0.01;
double* const _array_scrutable_syn_post2before = _dynamic_array_scrutable_syn_post2before.empty()? 0 : &_dynamic_array_scrutable_syn_post2before[0];
const size_t _numpost2before = _dynamic_array_scrutable_syn_post2before.size();
const size_t _numt = 1;
const double tau_post1 = 0.02;
const double tau_post2 = 0.04;
const double tau_pre = 0.02;
double* const _array_scrutable_syn_w = _dynamic_array_scrutable_syn_w.empty()? 0 : &_dynamic_array_scrutable_syn_w[0];
const size_t _numw = _dynamic_array_scrutable_syn_w.size();
const double w_max = 1.0;
    ///// POINTERS ////////////
        
    int32_t* __restrict  _ptr_array_scrutable_syn__synaptic_pre = _array_scrutable_syn__synaptic_pre;
    double* __restrict  _ptr_array_scrutable_syn_apost1 = _array_scrutable_syn_apost1;
    double* __restrict  _ptr_array_scrutable_syn_apost2 = _array_scrutable_syn_apost2;
    double* __restrict  _ptr_array_scrutable_syn_apre = _array_scrutable_syn_apre;
    double* __restrict  _ptr_array_scrutable_syn_lastupdate = _array_scrutable_syn_lastupdate;
    double* __restrict  _ptr_array_scrutable_syn_post2before = _array_scrutable_syn_post2before;
    double*   _ptr_array_scrutable_syn_clock_t = _array_scrutable_syn_clock_t;
    double* __restrict  _ptr_array_scrutable_syn_w = _array_scrutable_syn_w;



    // This is only needed for the _debugmsg function below

    // scalar code
    const size_t _vectorisation_idx = -1;
        
    const double t = _ptr_array_scrutable_syn_clock_t[0];
    const double _lio_1 = 1.0f*1.0/tau_post1;
    const double _lio_2 = 1.0f*1.0/tau_post2;
    const double _lio_3 = 1.0f*1.0/tau_pre;


    
    {
    std::vector<int> *_spiking_synapses = scrutable_syn_post.peek();
    const int _num_spiking_synapses = _spiking_synapses->size();

    
    for(int _spiking_synapse_idx=0;
        _spiking_synapse_idx<_num_spiking_synapses;
        _spiking_synapse_idx++)
    {
        const size_t _idx = (*_spiking_synapses)[_spiking_synapse_idx];
        const size_t _vectorisation_idx = _idx;
                
        double apost1 = _ptr_array_scrutable_syn_apost1[_idx];
        double apost2 = _ptr_array_scrutable_syn_apost2[_idx];
        double apre = _ptr_array_scrutable_syn_apre[_idx];
        double lastupdate = _ptr_array_scrutable_syn_lastupdate[_idx];
        double post2before = _ptr_array_scrutable_syn_post2before[_idx];
        double w = _ptr_array_scrutable_syn_w[_idx];
        const double _apost1 = apost1 * exp(_lio_1 * (- (t - lastupdate)));
        const double _apost2 = apost2 * exp(_lio_2 * (- (t - lastupdate)));
        const double _apre = apre * exp(_lio_3 * (- (t - lastupdate)));
        apost1 = _apost1;
        apost2 = _apost2;
        apre = _apre;
        post2before = apost2;
        w = _clip(w + (nu_post * (apre * post2before)), 0, w_max);
        apost1 = 1.0;
        apost2 = 1.0;
        lastupdate = t;
        _ptr_array_scrutable_syn_apost1[_idx] = apost1;
        _ptr_array_scrutable_syn_apost2[_idx] = apost2;
        _ptr_array_scrutable_syn_apre[_idx] = apre;
        _ptr_array_scrutable_syn_lastupdate[_idx] = lastupdate;
        _ptr_array_scrutable_syn_post2before[_idx] = post2before;
        _ptr_array_scrutable_syn_w[_idx] = w;

    }

    }

}

void _debugmsg_scrutable_syn_post_codeobject()
{
    using namespace brian;
    std::cout << "Number of synapses: " << _dynamic_array_scrutable_syn__synaptic_pre.size() << endl;
}

