#include <stdlib.h>
#include "objects.h"
#include <csignal>
#include <ctime>
#include <time.h>

#include "run.h"
#include "brianlib/common_math.h"

#include "code_objects/scrutable_ei_pre_codeobject.h"
#include "code_objects/scrutable_ei_pre_push_spikes.h"
#include "code_objects/before_run_scrutable_ei_pre_push_spikes.h"
#include "code_objects/scrutable_ei_synapses_create_generator_codeobject.h"
#include "code_objects/scrutable_exc_rest_codeobject.h"
#include "code_objects/scrutable_exc_spike_resetter_codeobject.h"
#include "code_objects/scrutable_exc_spike_thresholder_codeobject.h"
#include "code_objects/after_run_scrutable_exc_spike_thresholder_codeobject.h"
#include "code_objects/scrutable_exc_stateupdater_codeobject.h"
#include "code_objects/scrutable_ie_pre_codeobject.h"
#include "code_objects/scrutable_ie_pre_push_spikes.h"
#include "code_objects/before_run_scrutable_ie_pre_push_spikes.h"
#include "code_objects/scrutable_ie_synapses_create_generator_codeobject.h"
#include "code_objects/scrutable_inh_rest_codeobject.h"
#include "code_objects/scrutable_inh_spike_resetter_codeobject.h"
#include "code_objects/scrutable_inh_spike_thresholder_codeobject.h"
#include "code_objects/after_run_scrutable_inh_spike_thresholder_codeobject.h"
#include "code_objects/scrutable_inh_stateupdater_codeobject.h"
#include "code_objects/scrutable_input_codeobject.h"
#include "code_objects/scrutable_mon_e_codeobject.h"
#include "code_objects/scrutable_mon_i_codeobject.h"
#include "code_objects/scrutable_normalize_codeobject.h"
#include "code_objects/scrutable_syn_post_codeobject.h"
#include "code_objects/scrutable_syn_post_push_spikes.h"
#include "code_objects/before_run_scrutable_syn_post_push_spikes.h"
#include "code_objects/scrutable_syn_pre_codeobject.h"
#include "code_objects/scrutable_syn_pre_push_spikes.h"
#include "code_objects/before_run_scrutable_syn_pre_push_spikes.h"
#include "code_objects/scrutable_syn_summed_variable_wsum_post_codeobject.h"
#include "code_objects/scrutable_syn_synapses_create_generator_codeobject.h"


#include <iostream>
#include <fstream>
#include <string>




void set_from_command_line(const std::vector<std::string> args)
{
    for (const auto& arg : args) {
		// Split into two parts
		size_t equal_sign = arg.find("=");
		auto name = arg.substr(0, equal_sign);
		auto value = arg.substr(equal_sign + 1, arg.length());
		brian::set_variable_by_name(name, value);
	}
}

void _int_handler(int signal_num) {
	if (Network::_globally_running && !Network::_globally_stopped) {
		Network::_globally_stopped = true;
	} else {
		std::signal(signal_num, SIG_DFL);
		std::raise(signal_num);
	}
}

int main(int argc, char **argv)
{
	std::signal(SIGINT, _int_handler);
	std::random_device _rd;
	std::vector<std::string> args(argv + 1, argv + argc);
	if (args.size() >=2 && args[0] == "--results_dir")
	{
		brian::results_dir = args[1];
		#ifdef DEBUG
		std::cout << "Setting results dir to '" << brian::results_dir << "'" << std::endl;
		#endif
		args.erase(args.begin(), args.begin()+2);
	}
        

	brian_start();
        

	{
		using namespace brian;

		
                
        _array_defaultclock_dt[0] = 0.0001;
        _array_defaultclock_dt[0] = 0.0001;
        _array_defaultclock_dt[0] = 0.0001;
        _array_scrutable_input_clock_dt[0] = 0.0005;
        _array_scrutable_input_clock_dt[0] = 0.0005;
        _array_scrutable_input__lastindex[0] = 0;
        _array_scrutable_input_period[0] = 0.0;
        _array_scrutable_exc_clock_dt[0] = 0.0005;
        _array_scrutable_exc_clock_dt[0] = 0.0005;
        
                        
                        for(int i=0; i<_num__array_scrutable_exc_lastspike; i++)
                        {
                            _array_scrutable_exc_lastspike[i] = - 10000.0;
                        }
                        
        
                        
                        for(int i=0; i<_num__array_scrutable_exc_not_refractory; i++)
                        {
                            _array_scrutable_exc_not_refractory[i] = true;
                        }
                        
        _array_scrutable_inh_clock_dt[0] = 0.0005;
        _array_scrutable_inh_clock_dt[0] = 0.0005;
        
                        
                        for(int i=0; i<_num__array_scrutable_inh_lastspike; i++)
                        {
                            _array_scrutable_inh_lastspike[i] = - 10000.0;
                        }
                        
        
                        
                        for(int i=0; i<_num__array_scrutable_inh_not_refractory; i++)
                        {
                            _array_scrutable_inh_not_refractory[i] = true;
                        }
                        
        
                        
                        for(int i=0; i<_num__array_scrutable_exc_v; i++)
                        {
                            _array_scrutable_exc_v[i] = - 0.065;
                        }
                        
        _array_scrutable_exc_rest_clock_dt[0] = 0.5;
        _array_scrutable_exc_rest_clock_dt[0] = 0.5;
        
                        
                        for(int i=0; i<_num__array_scrutable_inh_v; i++)
                        {
                            _array_scrutable_inh_v[i] = - 0.06;
                        }
                        
        _array_scrutable_inh_rest_clock_dt[0] = 0.5;
        _array_scrutable_inh_rest_clock_dt[0] = 0.5;
        
                        
                        for(int i=0; i<_num__array_scrutable_exc_theta; i++)
                        {
                            _array_scrutable_exc_theta[i] = _static_array__array_scrutable_exc_theta[i];
                        }
                        
        _array_scrutable_exc_learning[0] = 1.0;
        _array_scrutable_syn_clock_dt[0] = 0.0005;
        _array_scrutable_syn_clock_dt[0] = 0.0005;
        _run_scrutable_syn_synapses_create_generator_codeobject();
        
                        
                        for(int i=0; i<_dynamic_array_scrutable_syn_w.size(); i++)
                        {
                            _dynamic_array_scrutable_syn_w[i] = _static_array__dynamic_array_scrutable_syn_w[i];
                        }
                        
        
                        
                        for(int i=0; i<_dynamic_array_scrutable_syn_delay.size(); i++)
                        {
                            _dynamic_array_scrutable_syn_delay[i] = _static_array__dynamic_array_scrutable_syn_delay[i];
                        }
                        
        _array_scrutable_normalize_clock_dt[0] = 0.5;
        _array_scrutable_normalize_clock_dt[0] = 0.5;
        _array_scrutable_ei_clock_dt[0] = 0.0005;
        _array_scrutable_ei_clock_dt[0] = 0.0005;
        _run_scrutable_ei_synapses_create_generator_codeobject();
        _array_scrutable_ie_clock_dt[0] = 0.0005;
        _array_scrutable_ie_clock_dt[0] = 0.0005;
        _run_scrutable_ie_synapses_create_generator_codeobject();
        _array_scrutable_input_period[0] = 0.0;
        _dynamic_array_scrutable_input_neuron_index.resize(34804);
        _dynamic_array_scrutable_input_spike_time.resize(34804);
        _dynamic_array_scrutable_input_spike_number.resize(34804);
        
                        
                        for(int i=0; i<_dynamic_array_scrutable_input_spike_number.size(); i++)
                        {
                            _dynamic_array_scrutable_input_spike_number[i] = _static_array__dynamic_array_scrutable_input_spike_number[i];
                        }
                        
        _dynamic_array_scrutable_input__timebins.resize(34804);
        
                        
                        for(int i=0; i<_dynamic_array_scrutable_input_neuron_index.size(); i++)
                        {
                            _dynamic_array_scrutable_input_neuron_index[i] = _static_array__dynamic_array_scrutable_input_neuron_index[i];
                        }
                        
        
                        
                        for(int i=0; i<_dynamic_array_scrutable_input_spike_time.size(); i++)
                        {
                            _dynamic_array_scrutable_input_spike_time[i] = _static_array__dynamic_array_scrutable_input_spike_time[i];
                        }
                        
        _array_scrutable_input_clock_timestep[0] = 0;
        _array_scrutable_input_clock_t[0] = 0.0;
        _array_scrutable_inh_clock_timestep[0] = 0;
        _array_scrutable_inh_clock_t[0] = 0.0;
        _array_scrutable_ei_clock_timestep[0] = 0;
        _array_scrutable_ei_clock_t[0] = 0.0;
        _array_scrutable_ie_clock_timestep[0] = 0;
        _array_scrutable_ie_clock_t[0] = 0.0;
        _array_scrutable_exc_rest_clock_timestep[0] = 0;
        _array_scrutable_exc_rest_clock_t[0] = 0.0;
        _array_scrutable_inh_rest_clock_timestep[0] = 0;
        _array_scrutable_inh_rest_clock_t[0] = 0.0;
        _array_scrutable_normalize_clock_timestep[0] = 0;
        _array_scrutable_normalize_clock_t[0] = 0.0;
        _array_scrutable_syn_clock_timestep[0] = 0;
        _array_scrutable_syn_clock_t[0] = 0.0;
        _array_scrutable_exc_clock_timestep[0] = 0;
        _array_scrutable_exc_clock_t[0] = 0.0;
        _array_scrutable_input__lastindex[0] = 0;
        
                        
                        for(int i=0; i<_dynamic_array_scrutable_input__timebins.size(); i++)
                        {
                            _dynamic_array_scrutable_input__timebins[i] = _static_array__dynamic_array_scrutable_input__timebins[i];
                        }
                        
        _array_scrutable_input__period_bins[0] = 0.0;
        _before_run_scrutable_ei_pre_push_spikes();
        _before_run_scrutable_ie_pre_push_spikes();
        _before_run_scrutable_syn_pre_push_spikes();
        _before_run_scrutable_syn_post_push_spikes();
        network.clear();
        network.add(&scrutable_exc_rest_clock, _run_scrutable_exc_rest_codeobject);
        network.add(&scrutable_inh_rest_clock, _run_scrutable_inh_rest_codeobject);
        network.add(&scrutable_normalize_clock, _run_scrutable_normalize_codeobject);
        network.add(&scrutable_exc_clock, _run_scrutable_syn_summed_variable_wsum_post_codeobject);
        network.add(&scrutable_exc_clock, _run_scrutable_exc_stateupdater_codeobject);
        network.add(&scrutable_inh_clock, _run_scrutable_inh_stateupdater_codeobject);
        network.add(&scrutable_exc_clock, _run_scrutable_exc_spike_thresholder_codeobject);
        network.add(&scrutable_inh_clock, _run_scrutable_inh_spike_thresholder_codeobject);
        network.add(&scrutable_input_clock, _run_scrutable_input_codeobject);
        network.add(&scrutable_exc_clock, _run_scrutable_mon_e_codeobject);
        network.add(&scrutable_inh_clock, _run_scrutable_mon_i_codeobject);
        network.add(&scrutable_exc_clock, _run_scrutable_ei_pre_push_spikes);
        network.add(&scrutable_exc_clock, _run_scrutable_ei_pre_codeobject);
        network.add(&scrutable_inh_clock, _run_scrutable_ie_pre_push_spikes);
        network.add(&scrutable_inh_clock, _run_scrutable_ie_pre_codeobject);
        network.add(&scrutable_input_clock, _run_scrutable_syn_pre_push_spikes);
        network.add(&scrutable_input_clock, _run_scrutable_syn_pre_codeobject);
        network.add(&scrutable_exc_clock, _run_scrutable_syn_post_push_spikes);
        network.add(&scrutable_exc_clock, _run_scrutable_syn_post_codeobject);
        network.add(&scrutable_exc_clock, _run_scrutable_exc_spike_resetter_codeobject);
        network.add(&scrutable_inh_clock, _run_scrutable_inh_spike_resetter_codeobject);
        network.add(&scrutable_ei_clock, NULL);
        network.add(&scrutable_ie_clock, NULL);
        network.add(&scrutable_syn_clock, NULL);
        set_from_command_line(args);
        network.run(10.0, NULL, 10.0);
        _after_run_scrutable_exc_spike_thresholder_codeobject();
        _after_run_scrutable_inh_spike_thresholder_codeobject();
        #ifdef DEBUG
        _debugmsg_scrutable_mon_e_codeobject();
        #endif
        
        #ifdef DEBUG
        _debugmsg_scrutable_mon_i_codeobject();
        #endif
        
        #ifdef DEBUG
        _debugmsg_scrutable_ei_pre_codeobject();
        #endif
        
        #ifdef DEBUG
        _debugmsg_scrutable_ie_pre_codeobject();
        #endif
        
        #ifdef DEBUG
        _debugmsg_scrutable_syn_pre_codeobject();
        #endif
        
        #ifdef DEBUG
        _debugmsg_scrutable_syn_post_codeobject();
        #endif

	}
        

	brian_end();
        

	return 0;
}